// The on-screen keyboard, embedded in the kiosk window through a QQuickWidget.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    property alias active: panel.active
    property real panelHeight: panel.implicitHeight
    implicitHeight: panel.implicitHeight

    InputPanel {
        id: panel
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["en_US", "zh_CN"]
        VirtualKeyboardSettings.locale = "en_US"
    }
}
