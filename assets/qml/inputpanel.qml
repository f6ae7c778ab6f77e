// The on-screen keyboard, embedded in the kiosk window through a QQuickWidget.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    property alias active: panel.active
    property real panelHeight: panel.implicitHeight
    property real panelWidth: 0  // set from Python so the keyboard fits under half the screen
    implicitHeight: panel.implicitHeight

    InputPanel {
        id: panel
        width: root.panelWidth > 0 ? root.panelWidth : parent.width
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["en_US", "zh_CN"]
        VirtualKeyboardSettings.locale = "en_US"
    }
}
